// The passkey sign-up page's one script: create the passkey (WebAuthn §5.1.3 create() with the options of GET `webauthn-options`), a static string so the page CSP allows it by hash.

/**
 * Where the browser can parse JSON options (WebAuthn L3 `parseCreationOptionsFromJSON`, `toJSON`),
 * shows the button and hides the "cannot create passkeys" note; on click fetches fresh options and
 * posts the new credential with the form (CSRF token, link token, callbackUrl) to `callback/<id>`.
 * An options refusal (a spent link, a taken address) posts the form empty, so the server's refusal
 * shows on the page instead of a button that does nothing.
 */
export const PASSKEY_SIGNUP_SCRIPT =
  "(function(){var b=document.getElementById('passkey-signup');if(!b)return;var P=window.PublicKeyCredential;" +
  "if(!P||!P.parseCreationOptionsFromJSON||!navigator.credentials)return;b.hidden=false;var n=document.getElementById('passkey-unsupported');if(n)n.hidden=true;var f=b.form;" +
  "b.addEventListener('click',function(){b.disabled=true;" +
  "fetch(b.getAttribute('data-options'),{credentials:'same-origin'}).then(function(r){return r.json()})" +
  '.then(function(j){if(!j.options){f.submit();throw 0}return navigator.credentials.create({publicKey:P.parseCreationOptionsFromJSON(j.options)})})' +
  '.then(function(c){f.elements.data.value=JSON.stringify(c.toJSON());f.submit()})' +
  '.catch(function(){b.disabled=false})})})()';
