/** What the Markdown index and the HTML site agree on, so that neither imports the other. */

/** Marks the main table of the index, so the HTML index can attach its filters to the rows. */
export const INDEX_TABLE_MARK = '<!-- provably:index-table -->';

/** Per index row (same order as the table): what the HTML index filters on. */
export interface IndexRowMeta {
  readonly family: string;
  readonly paper: string;
  readonly verdicts: readonly string[];
}
