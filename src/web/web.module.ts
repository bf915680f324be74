import { Module } from '@nestjs/common';
import { HealthController } from '../health/health.controller.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { RoundTableModule } from '../round-table/round-table.module.js';
import { WebController } from './web.controller.js';

@Module({ imports: [OrganisationsModule, RoundTableModule], controllers: [WebController, HealthController] })
export class WebModule {}
