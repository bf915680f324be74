import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Transactions } from '../common/transactions.js';
import { FundingCall } from './call.entity.js';
import type { CallStatus } from './call.machine.js';

/** Every query on calls. */
@Injectable()
export class CallsRepository {
  constructor(private readonly db: Transactions) {}

  list(statuses?: CallStatus[]): Promise<FundingCall[]> {
    return this.db.manager.getRepository(FundingCall).find({
      where: statuses ? { status: In(statuses) } : {},
      order: { year: 'DESC', submissionDeadline: 'ASC' },
    });
  }

  findById(id: string, manager: EntityManager = this.db.manager): Promise<FundingCall | null> {
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
