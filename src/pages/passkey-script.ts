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

/**
 * The security page's "Add a passkey" form (WebAuthn §5.1.3 create() with the options of GET
 * `webauthn-options?action=register`), shown only where the browser parses JSON options
 * (`parseCreationOptionsFromJSON`). The registration is posted with fetch in JSON mode (the route
 * answers JSON), then the page is loaded again with `done=added` or the route's `error` code; a
 * cancelled dialog just enables the button again.
 */
export const PASSKEY_REGISTER_SCRIPT =
  "(function(){var f=document.getElementById('passkey-add');if(!f)return;var P=window.PublicKeyCredential;" +
  'if(!P||!P.parseCreationOptionsFromJSON||!navigator.credentials)return;f.hidden=false;' +
  "var b=f.querySelector('button'),back=f.getAttribute('data-return');" +
  "f.addEventListener('submit',function(e){e.preventDefault();b.disabled=true;" +
  "fetch(f.getAttribute('data-options'),{credentials:'same-origin'}).then(function(r){return r.json()})" +
  '.then(function(j){return navigator.credentials.create({publicKey:P.parseCreationOptionsFromJSON(j.options)})})' +
  ".then(function(c){var d=new URLSearchParams(new FormData(f));d.set('action','register');d.set('data',JSON.stringify(c.toJSON()));" +
  "return fetch(f.action,{method:'POST',credentials:'same-origin',headers:{'X-Auth-Return-Redirect':'1'},body:d})})" +
  ".then(function(r){return r.json().then(function(j){location.href=back+(r.ok?'?done=added':'?error='+encodeURIComponent(typeof j.error==='string'?j.error:'InvalidPasskey'))})})" +
  '.catch(function(){b.disabled=false})})})()';

/**
 * The security page's "Use a passkey" re-authentication (WebAuthn §5.1.4 get() with the options of
 * GET `webauthn-options?action=authenticate`, which signed in lists only the user's passkeys and
 * binds the challenge to the session), shown only where the browser parses JSON options. The
 * assertion goes in the form's `passkey` field and the form is posted as a page form, so
 * `reauthenticate` answers with a redirect back to the page; a refused or cancelled dialog (or
 * options that did not come) shows the form's alert and enables the button again.
 */
export const PASSKEY_REAUTH_SCRIPT =
  "(function(){var f=document.getElementById('reauth-passkey');if(!f)return;var P=window.PublicKeyCredential;" +
  'if(!P||!P.parseRequestOptionsFromJSON||!navigator.credentials)return;f.hidden=false;' +
  "var b=f.querySelector('button'),a=document.getElementById('reauth-passkey-refused');" +
  "f.addEventListener('submit',function(e){e.preventDefault();b.disabled=true;a.hidden=true;" +
  "fetch(f.getAttribute('data-options'),{credentials:'same-origin'}).then(function(r){return r.json()})" +
  '.then(function(j){return navigator.credentials.get({publicKey:P.parseRequestOptionsFromJSON(j.options)})})' +
  '.then(function(c){f.elements.passkey.value=JSON.stringify(c.toJSON());f.submit()})' +
  '.catch(function(){b.disabled=false;a.hidden=false})})})()';
