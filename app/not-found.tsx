import Link from 'next/link';

export default function NotFound() {
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
