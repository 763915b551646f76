import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { QueryProvider } from '@/components/shell/query-provider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'ModelDeck', template: '%s · ModelDeck' },
  description: 'Self-hosted MLOps control room',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <QueryProvider>{children}</QueryProvider>
      </body>
    </html>
  );
}
