/** One VS Code platform target and the native parts its VSIX carries. */
export interface PackageTarget {
  /** `vsce --target` name. */
  readonly target: string;
  /** `process.platform` and `process.arch` where it runs. */
  readonly platform: 'linux' | 'darwin' | 'win32';
  readonly arch: 'x64' | 'arm64';
  /** sharp's prebuilt packages: the binding, and libvips where it is a package of its own. */
  readonly sharpPackages: readonly string[];
  /** onnxruntime-node's `bin/napi-v6/<os>/<arch>` folder, or why there is none. */
  readonly onnxRuntime: string | { readonly missing: string };
  /** The `webgpu` package's `dist/<folder>` holding dawn.node, or why there is none. */
  readonly dawn: string | { readonly missing: string };
}

const GLIBC_ONLY = 'its prebuilt library links glibc, and Alpine has musl';

/** Every VSIX `npm run package` builds. */
export const PACKAGE_TARGETS: readonly PackageTarget[] = [
  { target: 'linux-x64', platform: 'linux', arch: 'x64', sharpPackages: ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64'], onnxRuntime: 'linux/x64', dawn: 'linux-x64' },
  { target: 'linux-arm64', platform: 'linux', arch: 'arm64', sharpPackages: ['@img/sharp-linux-arm64', '@img/sharp-libvips-linux-arm64'], onnxRuntime: 'linux/arm64', dawn: 'linux-arm64' },
  { target: 'darwin-x64', platform: 'darwin', arch: 'x64', sharpPackages: ['@img/sharp-darwin-x64', '@img/sharp-libvips-darwin-x64'], onnxRuntime: { missing: 'onnxruntime-node 1.30 ships no macOS x64 library' }, dawn: 'darwin-universal' },
  { target: 'darwin-arm64', platform: 'darwin', arch: 'arm64', sharpPackages: ['@img/sharp-darwin-arm64', '@img/sharp-libvips-darwin-arm64'], onnxRuntime: 'darwin/arm64', dawn: 'darwin-universal' },
  { target: 'win32-x64', platform: 'win32', arch: 'x64', sharpPackages: ['@img/sharp-win32-x64'], onnxRuntime: 'win32/x64', dawn: 'win32-x64' },
  { target: 'win32-arm64', platform: 'win32', arch: 'arm64', sharpPackages: ['@img/sharp-win32-arm64'], onnxRuntime: 'win32/arm64', dawn: 'win32-arm64' },
  { target: 'alpine-x64', platform: 'linux', arch: 'x64', sharpPackages: ['@img/sharp-linuxmusl-x64', '@img/sharp-libvips-linuxmusl-x64'], onnxRuntime: { missing: `onnxruntime-node: ${GLIBC_ONLY}` }, dawn: { missing: `webgpu's dawn.node: ${GLIBC_ONLY}` } },
];
