/**
 * Creates an element with text and attributes. Text is always set as text (never parsed as HTML), so message
 * contents cannot inject markup.
 *
 * @param tag - element name
 * @param props - `class`, `text` and attributes
 * @param children - child nodes
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string | undefined> = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

/** The element with this id (the page's fixed skeleton). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}
