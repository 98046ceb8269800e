/**
 * The verdict marks of the HTML site. The Markdown pages use emoji (✅ ❌ 🔎 ⚠️), which GitHub
 * draws; a browser without an emoji font (Debian's Chromium as installed) draws empty boxes. The
 * site replaces each with a small inline SVG of the same meaning, named for screen readers, so it
 * needs no font at all.
 */

interface Mark {
  readonly emoji: readonly string[];
  readonly name: string;
  readonly label: string;
  /** The SVG's content on a 16×16 view box. */
  readonly shape: string;
}

const MARKS: readonly Mark[] = [
  { emoji: ['✅'], name: 'ok', label: 'as expected', shape: '<circle cx="8" cy="8" r="7.5" fill="#1a7f37"/><path d="M4.4 8.3l2.4 2.4 4.8-5" fill="none" stroke="#fff" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/>' },
  { emoji: ['❌'], name: 'fail', label: 'not as expected', shape: '<circle cx="8" cy="8" r="7.5" fill="#cf222e"/><path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" stroke="#fff" stroke-width="1.9" stroke-linecap="round"/>' },
  { emoji: ['🔎'], name: 'observe', label: 'reports only', shape: '<circle cx="6.6" cy="6.6" r="4.6" fill="none" stroke="#0b5cad" stroke-width="2"/><path d="M10 10l4.6 4.6" stroke="#0b5cad" stroke-width="2.4" stroke-linecap="round"/>' },
  { emoji: ['⚠️', '⚠'], name: 'warn', label: 'warning', shape: '<path d="M8 1.2l7.3 13.3H.7z" fill="#bf8700" stroke="#bf8700" stroke-width="1" stroke-linejoin="round"/><path d="M8 5.6v4.4" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/><circle cx="8" cy="12.4" r="1" fill="#fff"/>' },
];

function svgOf(m: Mark): string {
  return `<svg class="mark mark-${m.name}" role="img" aria-label="${m.label}" width="1em" height="1em" viewBox="0 0 16 16"><title>${m.label}</title>${m.shape}</svg>`;
}

const BY_EMOJI = new Map(MARKS.flatMap((m) => m.emoji.map((e) => [e, svgOf(m)] as const)));
// Longest first, so '⚠️' (with its variation selector) is taken before a bare '⚠'.
const PATTERN = new RegExp([...BY_EMOJI.keys()].sort((a, b) => b.length - a.length).join('|'), 'gu');

/** Every verdict emoji in the text of rendered HTML as its inline SVG mark; tags and their attributes (an image's alt text) are left as they are. */
export function svgMarks(html: string): string {
  return html
    .split(/(<[^>]*>)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(PATTERN, (e) => BY_EMOJI.get(e)!)))
    .join('');
}

/** The emoji the site replaces, for tests. */
export const MARK_EMOJI: readonly string[] = [...BY_EMOJI.keys()];

export const MARK_STYLE = '.mark { display: inline-block; width: 1em; height: 1em; vertical-align: -0.15em; }\n';
