import type { Page } from 'playwright-core';

/** A rendered gallery cell as the tests read it. */
export interface RenderedCell {
  readonly index: number;
  readonly relativePath: string;
  readonly isOutlier: boolean;
  /** The current cell (the keyboard's cursor). */
  readonly isSelected: boolean;
  /** In the multi-selection. */
  readonly isInSelection: boolean;
  readonly isFailed: boolean;
  readonly isLoading: boolean;
  readonly scoreText: string;
  readonly reason: string;
}

/** Every cell in the DOM, in list order. */
export function renderedCells(page: Page): Promise<RenderedCell[]> {
  return page.$$eval('#gallery .gallery-cell:not([hidden])', (cells) =>
    cells
      .map((cell) => {
        const element = cell as HTMLElement;
        return {
          index: Number(element.dataset.index),
          relativePath: element.dataset.relativePath ?? '',
          isOutlier: element.classList.contains('is-outlier'),
          isSelected: element.classList.contains('is-selected'),
          isInSelection: element.classList.contains('is-in-selection'),
          isFailed: element.classList.contains('is-failed'),
          isLoading: element.classList.contains('is-loading'),
          scoreText: element.querySelector('.cell-score')?.textContent ?? '',
          reason: element.querySelector('.cell-failed-reason')?.textContent ?? '',
        };
      })
      .sort((a, b) => a.index - b.index),
  );
}

/** Wait until every rendered cell shows a loaded item (pages arrive asynchronously). */
export async function waitForLoadedCells(page: Page): Promise<RenderedCell[]> {
  // A scroll or a new list renders in the next frame; before it, the old cells are all "loaded".
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
  await page.waitForFunction(() => {
    const cells = document.querySelectorAll('#gallery .gallery-cell:not([hidden])');
    return cells.length > 0 && document.querySelectorAll('#gallery .gallery-cell.is-loading:not([hidden])').length === 0;
  });
  return renderedCells(page);
}

/** The three counts in the toolbar. */
export async function shownCounts(page: Page): Promise<{ outliers: number; inliers: number; errors: number }> {
  const read = async (id: string): Promise<number> => Number((await page.textContent(id))?.replace(/,/g, ''));
  return { outliers: await read('#count-outliers'), inliers: await read('#count-inliers'), errors: await read('#count-errors') };
}

/** The exact threshold and percentile the toolbar holds. */
export async function shownThreshold(page: Page): Promise<{ value: number; percentile: number }> {
  const value = Number(await page.getAttribute('#threshold-value', 'data-value'));
  const percentile = Number(await page.getAttribute('#threshold-percentile', 'data-value'));
  return { value, percentile };
}

/** Move a range input as a drag does: set its value and fire `input`; waits for the batched frame. */
export async function moveSlider(page: Page, selector: string, value: number): Promise<void> {
  await page.$eval(selector, (element, target) => {
    const slider = element as HTMLInputElement;
    slider.value = String(target);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

/** Choose an option of a vscode-single-select the way a user does (open it, click the option). */
export async function chooseOption(page: Page, selectId: string, label: string): Promise<void> {
  await page.click(`vscode-single-select#${selectId}`);
  await page.locator(`vscode-single-select#${selectId}`).getByText(label, { exact: true }).last().click();
}

/** Type a threshold score into the toolbar's score field and press Enter, as a user does; waits for the batched frame. */
export async function typeThresholdScore(page: Page, value: number): Promise<void> {
  const field = page.locator('vscode-textfield#threshold-value input');
  await field.fill(String(value));
  await field.press('Enter');
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}
