import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { FundingCall } from './call.entity.js';
import type { CallStatus } from './call.machine.js';

/** Every query on calls. */
@Injectable()
export class CallsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(statuses?: CallStatus[]): Promise<FundingCall[]> {
    return this.dataSource.getRepository(FundingCall).find({
      where: statuses ? { status: In(statuses) } : {},
      order: { year: 'DESC', submissionDeadline: 'ASC' },
    });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<FundingCall | null> {
    return manager.findOneBy(FundingCall, { id });
  }

  findForUpdate(manager: EntityManager, id: string): Promise<FundingCall | null> {
    return manager.getRepository(FundingCall).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  create(manager: EntityManager, columns: Partial<FundingCall>): Promise<FundingCall> {
    const repository = manager.getRepository(FundingCall);
    return repository.save(repository.create(columns));
  }

  save(manager: EntityManager, call: FundingCall): Promise<FundingCall> {
    return manager.getRepository(FundingCall).save(call);
  }
}
