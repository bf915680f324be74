import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { RoundTableApiController } from './round-table.api.controller.js';
import { RoundTablePagesController } from './round-table.controller.js';
import { RoundTableRepository } from './round-table.repository.js';
import { RoundTableService } from './round-table.service.js';

@Module({
  imports: [AuthModule, OrganisationsModule],
  controllers: [RoundTablePagesController, RoundTableApiController],
  providers: [RoundTableService, RoundTableRepository],
  exports: [RoundTableService, RoundTableRepository],
})
export class RoundTableModule {}
