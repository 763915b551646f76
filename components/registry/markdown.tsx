import { Marked, type Tokens } from 'marked';

const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/)|\.{1,2}\/|[^:/?#]+(?:[/?#]|$))/i;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** http(s), mailto, fragments and relative links only: no javascript:, data: or other schemes. */
export function safeUrl(href: string): string | null {
  const trimmed = href.trim();
  // Browsers ignore control characters and whitespace inside a scheme ("java\nscript:").
  if (/[\u0000-\u001f\u007f\s]/.test(trimmed)) return null;
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

/**
 * Markdown → HTML with every piece of raw HTML in the input shown as text (escaped) and
 * links/images limited to safe URLs, so the output can be put into the page as is.
 */
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const label = this.parser.parseInline(tokens);
      const url = safeUrl(href);
      if (!url) return label;
      return `<a href="${escapeHtml(url)}"${title ? ` title="${escapeHtml(title)}"` : ''} rel="nofollow noopener noreferrer">${label}</a>`;
    },
    image({ href, title, text }: Tokens.Image) {
      const url = safeUrl(href);
      if (!url) return escapeHtml(text);
      return `<img src="${escapeHtml(url)}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ''} loading="lazy">`;
    },
  },
});

export function renderMarkdown(source: string): string {
  return markdown.parse(source, { async: false });
}

export function Markdown({ source, label }: { source: string; label: string }) {
  // Sanitised above: raw HTML is escaped and URLs are checked, so this is not user HTML.
  return <div className="markdown" aria-label={label} dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}
