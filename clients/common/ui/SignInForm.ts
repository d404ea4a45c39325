import type { ApiClient } from '../api/ApiClient';
import type { Person, PersonRole } from '../api/types';
import { errorText } from '../errorText';
import { onLanguageChange, t, type MessageKey } from '../i18n';
import { field, input, notice } from './forms';
import { h, mount } from './h';
import { languageSwitch } from './LanguageSwitch';

/** The sign-in page of the portal and the consoles; calls `onSignedIn` with the person. */
export function showSignIn(options: {
  api: ApiClient;
  appName: MessageKey;
  intro: MessageKey;
  roles: PersonRole[];
  onSignedIn: (person: Person) => void;
  root?: HTMLElement;
}): void {
  const root = options.root ?? document.getElementById('app')!;
  let error = '';
  let username = '';
  const render = () => {
    const user = input({ name: 'username', id: 'username', autocomplete: 'username', required: true, value: username, autocapitalize: 'none' });
    const password = input({ name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const form = h(
      'form',
      {
        class: 'sign-in',
        id: 'sign-in',
        on: {
          submit: (event) => {
            event.preventDefault();
            username = user.value.trim();
            void signIn(username, password.value);
          },
        },
      },
      h('h1', null, t(options.appName)),
      h('p', { class: 'muted' }, t(options.intro)),
      field(t('signIn.username'), user),
      field(t('signIn.password'), password),
      error ? notice('bad', error, 'sign-in-error') : null,
      h('button', { type: 'submit', class: 'primary', id: 'sign-in-submit' }, t('signIn.submit')),
    );
    mount(root, h('header', { class: 'app-header' }, h('span', { class: 'app-name' }, t(options.appName)), h('span', { class: 'spacer' }), languageSwitch()), h('main', { class: 'narrow' }, form));
    document.title = t(options.appName);
    (username ? password : user).focus();
  };
  const signIn = async (name: string, secret: string) => {
    try {
      const person = await options.api.signIn(name, secret);
      if (!options.roles.includes(person.role)) {
        options.api.signOut();
        error = t('signIn.wrongApp');
        render();
        return;
      }
      off();
      options.onSignedIn(person);
    } catch (failure) {
      error = errorText(failure);
      render();
    }
  };
  const off = onLanguageChange(render);
  render();
}
