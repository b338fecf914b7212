// A generic layout checker run inside the page: every visible piece of text must be whole and alone.
//
//   - clipped: text cut off by an ancestor that hides overflow (or by the window's right edge), unless the
//     element deliberately ellipsizes (`text-overflow: ellipsis`, a line clamp) and carries a `title` with the
//     full text;
//   - overflowing: text spilling out of its own block box (a button label wider than the button);
//   - broken words: more lines than words ("one letter per line" in a squeezed table column);
//   - overlapping: two text boxes covering each other;
//   - horizontal scrolling: a scroll container wider than its view (columns hidden off to the side), unless
//     it is marked `data-scroll-x="allowed"`.
//
// Text fully scrolled out of view in a scroll container is not visible and not checked. While a modal
// dialog is open only the dialog is checked (the page behind it is inert and deliberately covered).
// The script is plain JavaScript text: the tests' tsconfig has no DOM types.
import type { Page } from 'playwright-core';

export interface LayoutProblem {
  kind: 'clipped' | 'overflowing' | 'broken-words' | 'overlapping' | 'scrolls-horizontally';
  /** A short CSS path and the text, for the failure message. */
  where: string;
  text: string;
  other?: string;
}

const LAYOUT_CHECK_SCRIPT = String.raw`(() => {
  const TOLERANCE = 1.5;
  const problems = [];
  const root = document.querySelector('dialog[open]') ?? document.body;
  const viewportWidth = document.documentElement.clientWidth;

  const describe = (element) => {
    const parts = [];
    for (let node = element; node !== null && node !== document.body && parts.length < 4; node = node.parentElement) {
      const id = node.getAttribute('data-testid');
      const classes = [...node.classList].slice(0, 2).map((name) => '.' + name).join('');
      parts.unshift(node.tagName.toLowerCase() + (id ? '[data-testid=' + id + ']' : '') + classes);
      if (id) break;
    }
    return parts.join(' > ');
  };
  const shortText = (text) => (text.length > 60 ? text.slice(0, 57) + '…' : text);

  // Hidden on purpose: display none, visibility hidden, the visually-hidden pattern (1px clipped box).
  const isHidden = (element) => {
    // display none, visibility, opacity 0, and content-visibility hidden (the body of a closed <details>).
    if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return true;
    for (let node = element; node !== null; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse' || Number(style.opacity) === 0) return true;
      if (style.clip !== 'auto' && style.clip !== '' && style.position === 'absolute') return true;
      if (style.clipPath !== 'none' && style.clipPath !== '') return true;
    }
    return false;
  };

  const deliberateEllipsis = (element) => {
    for (let node = element; node !== null; node = node.parentElement) {
      const style = getComputedStyle(node);
      const ellipsizes = style.textOverflow === 'ellipsis' || (style.webkitLineClamp !== 'none' && style.webkitLineClamp !== '');
      if (ellipsizes && node.hasAttribute('title') && node.getAttribute('title').trim() !== '') return true;
      if (style.display !== 'inline' && style.overflowX !== 'visible') break;
    }
    return false;
  };

  // The element and its ancestors that cut their content: overflow other than visible (scroll containers included).
  const clippers = (element) => {
    const found = [];
    for (let node = element; node !== null && node !== document.documentElement; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') found.push({ node, style });
    }
    return found;
  };

  // Text nodes grouped by their element, with each line's box.
  const entries = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let textNode = walker.nextNode(); textNode !== null; textNode = walker.nextNode()) {
    const text = textNode.data.replace(/\s+/g, ' ').trim();
    if (text === '') continue;
    const element = textNode.parentElement;
    if (element === null || ['SCRIPT', 'STYLE', 'OPTION', 'TITLE', 'NOSCRIPT'].includes(element.tagName)) continue;
    if (isHidden(element)) continue;
    const range = document.createRange();
    range.selectNodeContents(textNode);
    const rects = [...range.getClientRects()].filter((rect) => rect.width > 0.5 && rect.height > 0.5);
    if (rects.length === 0) continue;
    entries.push({ element, text, rects });
  }

  const visibleEntries = [];
  for (const entry of entries) {
    const { element, text, rects } = entry;
    const where = describe(element);
    let visible = false;
    let clipped = false;
    // The parts of the line boxes that can be seen: what may overlap other text.
    entry.visibleRects = [];
    for (const rect of rects) {
      let left = rect.left, right = rect.right, top = rect.top, bottom = rect.bottom;
      let cut = false;
      for (const { node, style } of clippers(element)) {
        const box = node.getBoundingClientRect();
        const inner = {
          left: box.left + node.clientLeft,
          top: box.top + node.clientTop,
          right: box.left + node.clientLeft + node.clientWidth,
          bottom: box.top + node.clientTop + node.clientHeight,
        };
        if (style.overflowX !== 'visible') {
          if (left < inner.left - TOLERANCE || right > inner.right + TOLERANCE) cut = true;
          left = Math.max(left, inner.left);
          right = Math.min(right, inner.right);
        }
        if (style.overflowY !== 'visible') {
          const scrolls = style.overflowY === 'auto' || style.overflowY === 'scroll';
          // Rows scrolled partly out of a vertical scroll container are fine; a hidden overflow is not.
          if (!scrolls && (top < inner.top - TOLERANCE || bottom > inner.bottom + TOLERANCE)) cut = true;
          top = Math.max(top, inner.top);
          bottom = Math.min(bottom, inner.bottom);
        }
      }
      if (right - left <= 0.5 || bottom - top <= 0.5) continue;
      visible = true;
      entry.visibleRects.push({ left, right, top, bottom, width: right - left, height: bottom - top });
      if (cut || rect.right > viewportWidth + TOLERANCE) clipped = true;
    }
    if (!visible) continue;
    visibleEntries.push(entry);
    if (clipped && !deliberateEllipsis(element)) problems.push({ kind: 'clipped', where, text: shortText(text) });

    // Spilling out of its own block box (inline elements are their text).
    const style = getComputedStyle(element);
    // (An element that hides its own overflow clips instead: reported above.)
    if (style.display !== 'inline' && style.display !== 'contents' && style.overflowX === 'visible') {
      const box = element.getBoundingClientRect();
      if (rects.some((rect) => rect.left < box.left - TOLERANCE || rect.right > box.right + TOLERANCE)) {
        problems.push({ kind: 'overflowing', where, text: shortText(text) });
      }
    }

    // More lines than words: words broken apart ("one letter per line"). URLs and paths may break
    // anywhere when their element says so (overflow-wrap: anywhere, word-break: break-all).
    const lines = new Set(rects.map((rect) => Math.round(rect.top))).size;
    const words = text.split(' ').length;
    const breaksAnywhere = (style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all') && /[\\/]/.test(text);
    if (lines > words && text.replace(/\s/g, '').length > 2 && !breaksAnywhere) problems.push({ kind: 'broken-words', where, text: shortText(text) });
  }

  // Two text boxes over each other (line boxes of different text nodes, or of one node on different lines).
  const boxes = [];
  visibleEntries.forEach((entry, index) => {
    for (const rect of entry.visibleRects) boxes.push({ index, rect, entry });
  });
  boxes.sort((a, b) => a.rect.top - b.rect.top);
  const reported = new Set();
  for (let i = 0; i < boxes.length; i += 1) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].rect.top < a.rect.bottom - TOLERANCE; j += 1) {
      const b = boxes[j];
      if (a.index === b.index) continue;
      const overlapX = Math.min(a.rect.right, b.rect.right) - Math.max(a.rect.left, b.rect.left);
      const overlapY = Math.min(a.rect.bottom, b.rect.bottom) - Math.max(a.rect.top, b.rect.top);
      // Line boxes of adjacent lines may touch by a pixel or two of leading; real overlaps cover the glyphs.
      const minHeight = Math.min(a.rect.height, b.rect.height);
      if (overlapX > TOLERANCE && overlapY > Math.max(TOLERANCE, minHeight * 0.25)) {
        const key = a.index + ':' + b.index;
        if (reported.has(key)) continue;
        reported.add(key);
        problems.push({ kind: 'overlapping', where: describe(a.entry.element), text: shortText(a.entry.text), other: describe(b.entry.element) + ' "' + shortText(b.entry.text) + '"' });
      }
    }
  }

  // Scroll containers wider than their view hide whole columns.
  const scrollers = [root, ...root.querySelectorAll('*')];
  for (const element of scrollers) {
    if (isHidden(element)) continue;
    const style = getComputedStyle(element);
    if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && element.scrollWidth > element.clientWidth + TOLERANCE) {
      if (element.closest('[data-scroll-x="allowed"]') === null) {
        problems.push({ kind: 'scrolls-horizontally', where: describe(element), text: element.scrollWidth + 'px in ' + element.clientWidth + 'px' });
      }
    }
  }
  if (document.documentElement.scrollWidth > viewportWidth + TOLERANCE) {
    problems.push({ kind: 'scrolls-horizontally', where: 'html', text: document.documentElement.scrollWidth + 'px in ' + viewportWidth + 'px' });
  }
  return problems;
})()`;

/** Every layout problem on the page as it is now (empty when the layout is sound). */
export function findLayoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate<LayoutProblem[]>(LAYOUT_CHECK_SCRIPT);
}

/** One line per problem, for a failure message. */
export function formatLayoutProblems(problems: readonly LayoutProblem[]): string {
  return problems
    .map((problem) => `${problem.kind}: ${problem.where} "${problem.text}"${problem.other === undefined ? '' : ` over ${problem.other}`}`)
    .join('\n');
}
