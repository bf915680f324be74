import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { RoundTableModule } from '../round-table/round-table.module.js';
import { VisitsModule } from '../visits/visits.module.js';
import { StartPagesController } from './office.controller.js';

/** Start pages and dashboards: they draw on several capabilities, which therefore never import them. */
@Module({ imports: [OrganisationsModule, RoundTableModule, CallsModule, ApplicationsModule, VisitsModule], controllers: [StartPagesController] })
export class OfficeModule {}
