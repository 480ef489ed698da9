/** Results the page-side benchmark probe returns (shared with the Node side, which has no DOM types). */

/** One slider move, timed. */
export interface SliderSample {
  /** Input handler + the batched frame work + the style and layout it causes, without waiting for vsync. */
  readonly workMs: number;
  /** From the input event until the frame with the update has run (includes waiting for vsync). */
  readonly inputToFrameMs: number;
  /** The outlier count shown after the move (to check the update really happened). */
  readonly outliersShown: string;
}

/** Scrolling, timed. */
export interface ScrollResult {
  readonly fps: number;
  readonly frames: number;
  readonly p95FrameMs: number;
  readonly longestFrameMs: number;
  /** Share of rendered cell-frames that showed a placeholder (page still loading). */
  readonly placeholderShare: number;
}

/** Page-load milestones. */
export interface InitialRender {
  /** From the webview script's first line to the first gallery cells filled with images. */
  readonly bootToGalleryMs: number;
  /** From navigation start (includes the fake host generating the results). */
  readonly navigationToGalleryMs: number;
  readonly navigationToBootMs: number;
}
