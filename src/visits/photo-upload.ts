import { FormUploadInterceptor } from '../web/form-upload.js';
import { MAX_PHOTO_BYTES } from './visits.service.js';

/** Reads one photo; one over the limit is refused by the service with 422 at the file field. */
export const PhotoUploadInterceptor = FormUploadInterceptor({ limits: { fileSize: MAX_PHOTO_BYTES, files: 1 }, defParamCharset: 'utf8' });
