/**
 * A form's action row: its submit button, the primary action, then Cancel, which closes the form
 * and saves nothing. One markup for every form, so the order, the styling and the keyboard path
 * (Enter submits, Tab reaches Cancel next) are the same everywhere.
 */
export function FormActions({
  submit,
  onCancel,
  disabled = false,
  tone = 'primary',
}: {
  /** What the submit button says: the action itself ("Record app"), not "OK". */
  submit: string;
  onCancel: () => void;
  /** The submit button waits for what the form still needs (a reason, say). */
  disabled?: boolean;
  /** `danger` for an action that takes something away (a removal, a retirement). */
  tone?: 'primary' | 'danger';
}) {
  return (
    <div className="actions">
      <button type="submit" className={tone} disabled={disabled}>
        {submit}
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
