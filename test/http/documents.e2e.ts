import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { threadId } from 'node:worker_threads';
import { DocumentRenderer } from '../../src/renderer/document-renderer.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { longMinutes } from '../support/documents.js';
import { pdfText } from '../support/pdf.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { PDF_WORKERS: '1' } });
});
afterAll(async () => {
  await t.close();
});

describe('PDFs off the request thread', () => {
  it('renders a downloaded PDF in a worker thread, and answers other requests while a long one renders', async () => {
    const renderer = t.app.get(DocumentRenderer);
    const [call] = (await t.agent().get('/api/v1/calls?open=true').expect(200)).body;
    const pdf = await t.agent().get(`/calls/${call.id}/pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(await pdfText(pdf.body as Buffer)).toContain('Integrationsprojekte in Neuss');
    expect(renderer.threadIds).toHaveLength(1);
    expect(renderer.threadIds).not.toContain(threadId);

    // The minutes of a long session (about 100 pages) take a second or more to lay out.
    let rendered = false;
    const minutes = renderer.render('minutes', longMinutes(), 'de').then((bytes) => {
      rendered = true;
      return bytes;
    });
    await t.agent().get('/health').expect(200);
    await t.agent().get(`/api/v1/calls/${call.id}`).expect(200);
    expect(rendered).toBe(false);
    expect(await pdfText(await minutes)).toContain('TOP 200: NE-2027-0200');
  });
});
