import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { Client, WorkflowIdConflictPolicy } from '@temporalio/client';
import { stringify } from 'csv-stringify/sync';
import type { AppConfig } from '@ce/config';
import { ImportLeadsInput, importLeadsWorkflowId, TASK_QUEUES } from '@ce/contracts';
import { ImportFormat, LeadImport } from '@ce/db';
import { ConflictError, InputInvalidError, NotFoundError } from '@ce/errors';
import { loadAttributeRules } from '@activities/imports/attribute-rules';
import { importFilePath } from '@activities/imports/import-file';
import { compileMapping } from '@activities/imports/lead-import-mapping';
import { APP_CONFIG } from '../config/config.module';
import { CreateImportDto, ImportDto } from './dto/import.dto';

/** Media types each format may be uploaded as. */
const UPLOAD_TYPES: Record<ImportFormat, string[]> = {
  csv: ['text/csv', 'application/octet-stream'],
  ndjson: ['application/x-ndjson', 'application/octet-stream'],
};
const REJECTIONS_PAGE = 5_000;
/** An upload that has written nothing for this long is taken to be abandoned. */
const STALE_UPLOAD_MS = 10 * 60_000;

@Injectable()
export class ImportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Checks the mapping against the declared attributes and opens an import awaiting its file. */
  async create(input: CreateImportDto): Promise<ImportDto> {
    const { problems } = compileMapping(input.mapping, await loadAttributeRules(this.em));
    if (problems.length > 0) throw new InputInvalidError(problems, 'The mapping is not valid.');
    const job = this.em.create(LeadImport, { name: input.name, format: input.format, mapping: input.mapping });
    await this.em.flush();
    return toImportDto(job);
  }

  /**
   * Streams the uploaded file to the import folder as it arrives (never whole in memory), then
   * queues the import and starts its workflow. One upload per import: each attempt claims the
   * import first, so a second or concurrent upload is refused.
   */
  async upload(id: string, contentType: string | undefined, body: unknown): Promise<ImportDto> {
    const job = await this.find(id);
    if (job.status !== 'awaiting_file') throw new ConflictError(`The import's file has been uploaded already; the import is ${job.status}.`);
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!(body instanceof Readable) || !UPLOAD_TYPES[job.format].includes(mediaType)) {
      throw new InputInvalidError(
        [{ path: 'Content-Type', message: `must be ${UPLOAD_TYPES[job.format].join(' or ')} for a ${job.format} import, with the file as the body` }],
        'Send the file itself as the request body.',
      );
    }

    const path = importFilePath(this.config.importDir, job.id, job.format);
    const part = await this.claim(job, path);
    const bytes = await this.receive(body, part).catch(async (error: unknown) => {
      await this.release(job.id, part);
      throw error;
    });
    if (bytes === 0) {
      await this.release(job.id, part);
      throw new InputInvalidError([{ path: 'body', message: 'the file is empty' }], 'The uploaded file is empty.');
    }
    const queued = await this.em.nativeUpdate(
      LeadImport,
      { id: job.id, status: 'awaiting_file', filePath: part },
      { status: 'queued', filePath: path, bytes: String(bytes) },
    );
    if (queued === 0) {
      await rm(part, { force: true });
      throw new ConflictError('Another upload of this import\'s file took over from this one.');
    }
    await rename(part, path);
    await this.em.refresh(job);

    const input: ImportLeadsInput = { importId: job.id };
    try {
      await this.temporal.workflow.start('importLeads', {
        taskQueue: TASK_QUEUES.campaigns,
        workflowId: importLeadsWorkflowId(job.id),
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      });
    } catch (error) {
      // Not queued after all: the client may upload again.
      await this.em.nativeUpdate(LeadImport, { id: job.id }, { status: 'awaiting_file', filePath: null, bytes: '0' });
      await rm(path, { force: true });
      throw error;
    }
    return toImportDto(job);
  }

  async get(id: string): Promise<ImportDto> {
    return toImportDto(await this.find(id));
  }

  async list(): Promise<ImportDto[]> {
    const jobs = await this.em.find(LeadImport, {}, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: 100 });
    return jobs.map(toImportDto);
  }

  /** The rejected rows as CSV (row, reason, raw), read a page at a time while the client downloads. */
  async rejections(id: string): Promise<Readable> {
    const job = await this.find(id);
    const connection = this.em.fork().getConnection();
    async function* csv(): AsyncGenerator<string> {
      yield stringify([['row', 'reason', 'raw']]);
      for (let after = 0; ; ) {
        const page = await connection.execute<{ row_number: number; reason: string; raw: string }[]>(
          `select row_number, reason, raw from lead_import_rejections
           where lead_import_id = ? and row_number > ? order by row_number limit ?`,
          [job.id, after, REJECTIONS_PAGE],
        );
        if (page.length > 0) yield stringify(page.map((r) => [r.row_number, r.reason, r.raw]));
        if (page.length < REJECTIONS_PAGE) return;
        after = page[page.length - 1].row_number;
      }
    }
    return Readable.from(csv());
  }

  private async find(id: string): Promise<LeadImport> {
    const job = await this.em.findOne(LeadImport, id);
    if (!job) throw new NotFoundError('Import', id);
    return job;
  }

  /**
   * Claims the import for this upload attempt: while it awaits its file, `filePath` names the
   * partial file of the upload under way. An upload whose partial file has not grown for
   * STALE_UPLOAD_MS (the API stopped, the client vanished) is taken over, so an import is never
   * stuck; the claim is a compare-and-set, so two attempts cannot both win.
   */
  private async claim(job: LeadImport, path: string): Promise<string> {
    const current = job.filePath;
    if (current !== null && !(await abandoned(current))) throw new ConflictError('The import\'s file is being uploaded already.');
    const part = `${path}.${randomUUID()}.part`;
    const claimed = await this.em.nativeUpdate(LeadImport, { id: job.id, status: 'awaiting_file', filePath: current }, { filePath: part });
    if (claimed === 0) throw new ConflictError('The import\'s file is being uploaded already.');
    if (current !== null) await rm(current, { force: true });
    return part;
  }

  /** Gives up this attempt's claim, so the client may upload again. */
  private async release(id: string, part: string): Promise<void> {
    await rm(part, { force: true });
    await this.em.nativeUpdate(LeadImport, { id, status: 'awaiting_file', filePath: part }, { filePath: null });
  }

  /** Writes the body to `path` as it arrives; returns its size. */
  private async receive(body: Readable, path: string): Promise<number> {
    await mkdir(this.config.importDir, { recursive: true });
    try {
      await pipeline(body, createWriteStream(path));
    } catch (error) {
      // A file system error is ours; anything else is the upload breaking off.
      if ((error as NodeJS.ErrnoException).syscall) throw error;
      throw new InputInvalidError([{ path: 'body', message: 'the upload ended before the whole file arrived' }], 'The upload was interrupted.');
    }
    return (await stat(path)).size;
  }
}

/** Whether an upload's partial file has stopped growing (or is gone). */
async function abandoned(part: string): Promise<boolean> {
  const info = await stat(part).catch(() => null);
  return info === null || Date.now() - info.mtimeMs > STALE_UPLOAD_MS;
}

export function toImportDto(job: LeadImport): ImportDto {
  return {
    id: job.id,
    name: job.name,
    format: job.format,
    status: job.status,
    mapping: job.mapping,
    uploadUrl: job.status === 'awaiting_file' ? `/v1/imports/${job.id}/file` : null,
    bytes: Number(job.bytes),
    rowsRead: job.rowsRead,
    imported: job.imported,
    updated: job.updated,
    unchanged: job.unchanged,
    rejected: job.rejected,
    error: job.error,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
  };
}
