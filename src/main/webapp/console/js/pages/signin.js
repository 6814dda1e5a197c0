// Sign-in: password, then TOTP (or a recovery code) when the account has two-factor login, then
// the forced password change of a new account.
import { h, replace } from '../dom.js';
import * as api from '../api.js';
import { form } from '../ui.js';

export function render(root) {
  const session = api.current();
  if (session && session.passwordChangeRequired) {
    return changePassword(root);
  }
  let remembered = null;
  const f = form(
    [
      { name: 'username', label: 'Username', required: true, autocomplete: 'username' },
      { name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' },
    ],
    'Sign in',
    async (v) => {
      remembered = v;
      try {
        await api.login(v.username, v.password);
      } catch (e) {
        if (e.type === 'totp-required') {
          return secondFactor(root, remembered);
        }
        throw e;
      }
    },
    { class: 'stack-form', name: 'signin' },
  );
  replace(root, h('article', { class: 'signin' }, h('p', 'Sign in with your admin account.'), f.el));
  f.inputs.username.focus();
}

function secondFactor(root, creds) {
  const f = form(
    [
      { name: 'totp', label: 'Code from your authenticator app', inputmode: 'numeric', autocomplete: 'one-time-code' },
      { name: 'recoveryCode', label: 'or a recovery code' },
    ],
    'Verify',
    async (v) => {
      await api.login(creds.username, creds.password, v.totp, v.recoveryCode);
    },
    { class: 'stack-form', name: 'totp' },
  );
  replace(root, h('article', { class: 'signin' }, h('p', 'Two-factor login is on for ' + creds.username + '.'), f.el));
  f.inputs.totp.focus();
  return false;
}

function changePassword(root) {
  const f = form(
    [
      { name: 'currentPassword', label: 'Current password', type: 'password', required: true, autocomplete: 'current-password' },
      { name: 'newPassword', label: 'New password (at least 12 characters)', type: 'password', required: true, autocomplete: 'new-password' },
      { name: 'repeat', label: 'New password again', type: 'password', required: true, autocomplete: 'new-password' },
    ],
    'Change password',
    async (v) => {
      if (v.newPassword !== v.repeat) {
        throw new Error('the two new passwords differ');
      }
      await api.changePassword(v.currentPassword, v.newPassword);
    },
    { class: 'stack-form', name: 'change-password' },
  );
  replace(
    root,
    h('article', { class: 'signin' }, h('p', 'This account must choose a new password before it can do anything else.'), f.el),
  );
}
