import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { HealthController } from '../health/health.controller.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { RoundTableModule } from '../round-table/round-table.module.js';
import { WebController } from './office.controller.js';

@Module({ imports: [OrganisationsModule, RoundTableModule, CallsModule, ApplicationsModule], controllers: [WebController, HealthController] })
export class WebModule {}
