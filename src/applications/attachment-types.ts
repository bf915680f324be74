/** Attachments may be this large at most; larger uploads are refused with 413. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Attachments per application at most (removed ones do not count): required documents plus a few more. */
export const MAX_ATTACHMENTS = 20;

/**
 * multer options of both upload routes: one file, the size limit, and file names read as UTF-8 (what
 * browsers send; busboy's default, latin1, garbles umlauts and emoji).
 */
export const UPLOAD_OPTIONS = { limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1 }, defParamCharset: 'utf8' };

const SIGNATURES: [string, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

/** The type of a file judged by its first bytes, not by its name; null for anything else. */
export function detectFileType(content: Buffer): string | null {
  return SIGNATURES.find(([, bytes]) => bytes.every((byte, i) => content[i] === byte))?.[0] ?? null;
}

/** What the upload interceptor hands over (multer, memory storage). */
export interface UploadedFileData {
  buffer: Buffer;
  originalname: string;
  size: number;
}
