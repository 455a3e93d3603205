/** A rendered page and what to undo when leaving it. */
export interface Page {
  el: HTMLElement;
  dispose?: () => void;
}
