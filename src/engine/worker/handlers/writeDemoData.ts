import { writeDemoFolder } from '../../data';
import type { WriteDemoDataRequest, WriteDemoDataResult } from '../../../protocol/engine';
import type { RequestContext } from '../requestContext';

/** The walkthrough's "get demo data": the data sets and sharp live in the worker, not the extension host. */
export async function handleWriteDemoData(request: WriteDemoDataRequest, _context: RequestContext): Promise<WriteDemoDataResult> {
  return { kind: 'writeDemoData', ...(await writeDemoFolder(request.folder)) };
}
