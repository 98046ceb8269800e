/** markdown-it-texmath 1.0 ships no types; this is the part provably uses. */
declare module 'markdown-it-texmath' {
  import type MarkdownIt from 'markdown-it';
  interface TexmathOptions {
    engine: unknown;
    delimiters?: 'dollars' | 'brackets' | 'gitlab' | 'julia' | 'kramdown' | 'beg_end' | readonly string[];
    katexOptions?: Record<string, unknown>;
    outerSpace?: boolean;
  }
  const texmath: (md: MarkdownIt, options?: TexmathOptions) => void;
  export default texmath;
}
