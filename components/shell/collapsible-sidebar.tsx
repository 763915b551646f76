'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';

/**
 * The sidebar, which below 900 px (see .topbar in globals.css) folds behind a Menu button.
 * The open menu closes on navigation (a link inside it, or any route change) and on Escape,
 * which gives focus back to the button.
 */
export function CollapsibleSidebar({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [shownFor, setShownFor] = useState(pathname);
  const button = useRef<HTMLButtonElement>(null);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
  const closeOnLink = (event: MouseEvent<HTMLElement>) => {
    if (event.target instanceof Element && event.target.closest('a')) setOpen(false);
  };
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">ModelDeck</Link>
        <button
          ref={button}
          type="button"
          className="btn menu-button"
          aria-expanded={open}
          aria-controls="app-sidebar"
          onClick={() => setOpen((value) => !value)}
        >
          {open ? 'Close menu' : 'Menu'}
        </button>
      </header>
      <aside id="app-sidebar" className="sidebar" data-open={open} onClick={closeOnLink}>
        {children}
      </aside>
    </>
  );
}
