'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton() {
  async function onClick() {
    // A relative destination: the browser stays on the host it used, whatever NEXTAUTH_URL says.
    await signOut({ redirect: false });
    window.location.assign('/signin');
  }
  return (
    <button type="button" className="link-button" onClick={onClick}>
      Sign out
    </button>
  );
}
