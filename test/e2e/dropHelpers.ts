import { readFileSync } from 'node:fs';
import type { JSHandle, Locator, Page } from 'playwright-core';

/**
 * A DataTransfer holding a real file, built in the page (as the browser builds one for a drop
 * from the desktop), to dispatch drag and drop events with.
 */
export async function fileTransfer(
  page: Page,
  path: string,
  name: string,
  type: string,
): Promise<JSHandle<DataTransfer>> {
  const b64 = readFileSync(path).toString('base64');
  return page.evaluateHandle(
    ({ b64, name, type }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type }));
      return dt;
    },
    { b64, name, type },
  );
}

/** Drags the file over `target` (the drop zone shows) without dropping. */
export async function dragOver(target: Locator, dt: JSHandle<DataTransfer>): Promise<void> {
  await target.dispatchEvent('dragenter', { dataTransfer: dt });
  await target.dispatchEvent('dragover', { dataTransfer: dt });
}

/**
 * Drops the file on `target`; answers whether the page took the drop (default prevented). A
 * drop nobody prevents is what makes the browser open the file in place of the studio.
 */
export async function drop(target: Locator, dt: JSHandle<DataTransfer>): Promise<boolean> {
  await dragOver(target, dt);
  return target.evaluate((el, dt) => {
    const ev = new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true });
    el.dispatchEvent(ev);
    return ev.defaultPrevented;
  }, dt);
}
