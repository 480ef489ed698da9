import { decodeImageForDisplay } from '../../data';
import type { DisplayImageRequest, DisplayImageResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';

/** PNG bytes of an image the webview cannot show itself; sharp lives in the worker, not the extension host. */
export async function handleDisplayImage(request: DisplayImageRequest, _context: RequestContext): Promise<DisplayImageResult> {
  const png = await decodeImageForDisplay(request.path);
  return { kind: 'displayImage', png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) };
}
