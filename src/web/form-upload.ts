import { Injectable, mixin, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor, type Type } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import type { Observable } from 'rxjs';

/** A request whose upload (field `file`) was over the size limit: the handler answers 422 at the file field. */
export type FormUploadRequest = Request & { uploadTooLarge?: boolean };

/**
 * Reads one file from the field `file` (multer, memory storage). A file over the limit is not
 * answered with a bare 413: the request is marked (`uploadTooLarge`), so that a page shows its form
 * again with the message at the file field and the API answers 422 naming it.
 */
export function FormUploadInterceptor(options: { limits: { fileSize: number; files?: number }; defParamCharset?: string }): Type<NestInterceptor> {
  @Injectable()
  class Interceptor implements NestInterceptor {
    private readonly multer = new (FileInterceptor('file', options))();

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      try {
        return await this.multer.intercept(context, next);
      } catch (error) {
        if (!(error instanceof PayloadTooLargeException)) throw error;
        context.switchToHttp().getRequest<FormUploadRequest>().uploadTooLarge = true;
        return next.handle();
      }
    }
  }
  return mixin(Interceptor);
}
