import type { DetectorManifest } from '../../engine/store/detectorManifest';

/** A detector folder as the extension shows it: where it is, its manifest, and the digest exports cite. */
export interface DetectorSummary {
  readonly folder: string;
  readonly manifest: DetectorManifest;
  /** SHA-256 (hex) of manifest.json, as the CLI's exports cite it. */
  readonly manifestSha256: string;
}

/** "12×12 gray" / "32×32 RGB". */
export function describeShape(manifest: DetectorManifest): string {
  const [height, width, channels] = manifest.imageShape;
  return `${height}×${width} ${channels === 1 ? 'gray' : 'RGB'}`;
}
