/**
 * Asked when a chosen destination already exists: an existing file is never replaced unasked, and
 * only on "Replace" (the export and the single-event evidence both write files).
 */
export function ReplaceFile({
  name,
  what,
  onReplace,
  onKeep,
}: {
  name: string;
  what: string;
  onReplace: () => void;
  onKeep: () => void;
}) {
  return (
    <div className="confirm">
      <p role="alert" className="error">
        {name} already exists. Replace it with {what}? The file there now is lost.
      </p>
      <button type="button" className="danger" onClick={onReplace}>
        Replace
      </button>{' '}
      <button type="button" onClick={onKeep}>
        Keep it
      </button>
    </div>
  );
}
