/**
 * An entry in the words a spreadsheet or a case file needs: names, not ids; no nested JSON. The
 * row the CSV and PDF exports share, in a file of its own so the PDF renderer does not import
 * the exporter that calls it.
 */
export interface PeopleRow {
  readonly seq: number;
  readonly at: string;
  readonly event: string;
  readonly actor: string;
  readonly account: string;
  readonly reason: string;
  readonly details: string;
  readonly leaf: string;
}
