import Link from 'next/link';
import { connection } from 'next/server';

export default async function NotFound() {
  // Rendered per request, not prerendered at build time: the CSP nonce exists only per
  // request, and a prerendered page's scripts would carry none (the browser blocks them).
  await connection();
  return (
    <div className="auth-page">
      <div className="auth-card">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <Link href="/">Back to ModelDeck</Link>
      </div>
    </div>
  );
}
