import { Injectable, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { MAX_PHOTO_BYTES } from './visits.service.js';

export type PhotoRequest = Request & { photoTooLarge?: boolean };

/**
 * Reads one photo (multer, memory storage). A file over the limit is not answered with a bare 413:
 * the request is marked, and the service refuses it with 422 at the file field, so that the page
 * shows its form again with the message.
 */
@Injectable()
export class PhotoUploadInterceptor implements NestInterceptor {
  private readonly multer = new (FileInterceptor('file', { limits: { fileSize: MAX_PHOTO_BYTES, files: 1 }, defParamCharset: 'utf8' }))();

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await this.multer.intercept(context, next);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeException)) throw error;
      context.switchToHttp().getRequest<PhotoRequest>().photoTooLarge = true;
      return next.handle();
    }
  }
}
