// The sign-in page's one script: the passkey button (WebAuthn §5.1.4 get() with the options of GET `webauthn-options`), a static string so the page CSP allows it by hash.

/**
 * Shows the button only where the browser can parse JSON options (WebAuthn L3
 * `parseRequestOptionsFromJSON`, `toJSON`); on click fetches fresh options, asks the authenticator,
 * and posts the assertion with the form (CSRF token and callbackUrl in it) to `callback/<id>`.
 */
export const PASSKEY_SCRIPT =
  "(function(){var b=document.getElementById('passkey-signin');if(!b)return;var P=window.PublicKeyCredential;" +
  'if(!P||!P.parseRequestOptionsFromJSON||!navigator.credentials)return;b.hidden=false;var f=b.form;' +
  "b.addEventListener('click',function(){b.disabled=true;" +
  "fetch(b.getAttribute('data-options'),{credentials:'same-origin'}).then(function(r){return r.json()})" +
  '.then(function(j){return navigator.credentials.get({publicKey:P.parseRequestOptionsFromJSON(j.options)})})' +
  '.then(function(c){f.elements.data.value=JSON.stringify(c.toJSON());f.submit()})' +
  '.catch(function(){b.disabled=false})})})()';
