// What a platform VSIX says about itself (dist/target.json, written by `npm run package`) and the
// check at activation that it suits the machine. A source checkout has no such file: nothing to check.

/** A native part of a platform VSIX, by the folder that holds it. */
export interface NativePart {
  /** What it is, for messages: "sharp (libvips)", "ONNX Runtime", "Dawn (WebGPU)". */
  readonly name: string;
  /** Its folder or file, relative to the extension's root. */
  readonly path: string;
  /** Without it nothing works (sharp decodes every image); without the others the engine falls back. */
  readonly required: boolean;
  /** What the engine does without it. */
  readonly fallback: string;
}

/** dist/target.json of a platform VSIX. */
export interface PackagedTarget {
  /** The VS Code target it was built for, e.g. `linux-x64`, `alpine-x64`. */
  readonly target: string;
  readonly nativeParts: readonly NativePart[];
  /** Parts this platform has no build of, and why. */
  readonly absent: readonly string[];
}

/** The VS Code target of the running machine: `<platform>-<arch>`, `alpine-<arch>` on musl Linux. */
export function runningTarget(platform: string, arch: string, isMusl: boolean): string {
  return platform === 'linux' && isMusl ? `alpine-${arch}` : `${platform}-${arch}`;
}

/** What the activation check found: an error to show, and lines for the log. */
export interface NativePartsReport {
  readonly error?: string;
  readonly notes: readonly string[];
}

/** Checks a platform VSIX against the machine; `exists` answers for paths relative to the extension. */
export function checkNativeParts(packaged: PackagedTarget, running: string, exists: (relativePath: string) => boolean): NativePartsReport {
  const notes = packaged.absent.map((why) => `not in the ${packaged.target} package: ${why}`);
  const missing = packaged.nativeParts.filter((part) => !exists(part.path));
  for (const part of missing) notes.push(`${part.name} is missing (${part.path}): ${part.fallback}`);
  if (packaged.target !== running) {
    return { error: `this package is for ${packaged.target}; install the one for ${running} (Outlier Lens needs the native parts of your platform to read images).`, notes };
  }
  const required = missing.filter((part) => part.required);
  if (required.length > 0) {
    return { error: `${required.map((part) => part.name).join(' and ')} missing from this ${packaged.target} package (${required.map((part) => part.path).join(', ')}); reinstall the extension.`, notes };
  }
  return { notes };
}
