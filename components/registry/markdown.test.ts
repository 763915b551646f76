import { describe, expect, it } from 'vitest';
import { renderMarkdown, safeUrl } from './markdown';

describe('model card Markdown', () => {
  it('renders Markdown but shows raw HTML as text', () => {
    const html = renderMarkdown('# Title\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toMatch(/<script|<img src=x/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps safe links and drops script and data URLs', () => {
    expect(renderMarkdown('[docs](https://example.com/a)')).toContain('<a href="https://example.com/a"');
    expect(renderMarkdown('[x](javascript:alert(1))')).not.toContain('href');
    expect(renderMarkdown('![p](data:image/svg+xml;base64,AAAA)')).not.toContain('<img');
    expect(safeUrl('java\nscript:alert(1)')).toBeNull();
    expect(safeUrl('/models/churn')).toBe('/models/churn');
    expect(safeUrl('mailto:team@example.com')).toBe('mailto:team@example.com');
  });
});
