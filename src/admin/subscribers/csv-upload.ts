import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { Request } from 'express';
import { catchError, type Observable, throwError } from 'rxjs';

export const MAX_CSV_BYTES = 10 * 1024 * 1024;
const TOO_LARGE = 'the CSV file is larger than 10 MB: split it and import the parts one by one; nothing was imported';

/** multer's error codes, said in words that tell the operator what to send instead. */
const MULTER_MESSAGES: Record<string, () => HttpException> = {
  LIMIT_FILE_SIZE: () => new PayloadTooLargeException(TOO_LARGE),
  LIMIT_UNEXPECTED_FILE: () => new BadRequestException('upload exactly one CSV file, in the multipart field "file"'),
  LIMIT_FILE_COUNT: () => new BadRequestException('upload exactly one CSV file, in the multipart field "file"'),
  LIMIT_PART_COUNT: () => new BadRequestException('upload exactly one CSV file, in the multipart field "file"'),
  LIMIT_FIELD_COUNT: () =>
    new BadRequestException('pass consentGiven and consentNote in the query string, not as form fields'),
};

/** Bound before FileInterceptor, so that it sees (and rewords) what multer throws. */
@Injectable()
export class CsvUploadErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const code = ((error as { cause?: { code?: unknown } })?.cause?.code ?? '') as string;
        return throwError(() => MULTER_MESSAGES[code]?.() ?? error);
      }),
    );
  }
}

/**
 * The CSV of an import request: the multipart `file` (multer has read it by now) or a text/csv
 * body, read here, after the admin guard, so that no one without a token makes us buffer 10 MB.
 */
export async function csvOf(request: Request, uploaded: { buffer: Buffer } | undefined): Promise<Buffer> {
  if (request.is('multipart/form-data')) {
    if (!uploaded) throw new BadRequestException('upload the CSV file in the multipart field "file"');
    return uploaded.buffer;
  }
  if (!request.is('text/csv')) {
    throw new UnsupportedMediaTypeException('send the CSV as multipart/form-data (field "file") or as a text/csv body');
  }
  if (Number(request.get('content-length') ?? 0) > MAX_CSV_BYTES) throw tooLarge(request);
  // Not `for await`: leaving that loop early destroys the socket, and the answer with it.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_CSV_BYTES) return void chunks.push(chunk);
      request.off('data', onData).off('end', onEnd);
      reject(tooLarge(request));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on('data', onData).on('end', onEnd).once('error', reject);
  });
}

/** Discards the rest of the body, as body-parser does, so the client reads the answer instead of a reset. */
function tooLarge(request: Request): PayloadTooLargeException {
  request.resume();
  return new PayloadTooLargeException(TOO_LARGE);
}
