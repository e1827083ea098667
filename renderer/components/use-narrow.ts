import { useEffect, useState } from 'react';

/**
 * Whether the window is narrower than `width` CSS pixels, following resizes and zoom (WCAG 2.2
 * 1.4.10 reflow: at 400% zoom a 1280 px window is 320 px wide). For layouts whose geometry the
 * code itself computes, such as a virtualised list's row height; plain layout stays in the CSS.
 */
export function useNarrow(width: number): boolean {
  const query = `(max-width: ${width}px)`;
  const [narrow, setNarrow] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const changed = () => setNarrow(list.matches);
    changed();
    list.addEventListener('change', changed);
    return () => list.removeEventListener('change', changed);
  }, [query]);
  return narrow;
}
