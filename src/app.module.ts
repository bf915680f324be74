import { AwardsModule } from './awards/awards.module.js';
import { PaymentsModule } from './payments/payments.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { VisitsModule } from './visits/visits.module.js';
import { TransparencyModule } from './transparency/transparency.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';
import { MonitoringModule } from './monitoring/monitoring.module.js';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApplicationsModule } from './applications/applications.module.js';
import { AccessModule } from './auth/access.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CallsModule } from './calls/calls.module.js';
import { HealthModule } from './health/health.module.js';
import { AccessGuard } from './auth/guards.js';
import { APP_CONFIG } from './common/config.token.js';
import { RequestLoadModule } from './common/request-load.js';
import { TransactionsModule } from './common/transactions.js';
import type { AppConfig } from './config/app-config.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { OfficeModule } from './office/office.module.js';
import { OrganisationsModule } from './organisations/organisations.module.js';
import { RendererModule } from './renderer/renderer.module.js';
import { ReviewModule } from './review/review.module.js';
import { RoundTableModule } from './round-table/round-table.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { AllExceptionsFilter } from './web/all-exceptions.filter.js';

@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

/** The whole service, on a data source that is already connected and migrated. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRootAsync({ useFactory: () => dataSource.options, dataSourceFactory: async () => dataSource }),
        TransactionsModule,
        RequestLoadModule,
        AccessModule,
        AuditModule,
        NotificationsModule,
        RendererModule,
        AuthModule,
        OrganisationsModule,
        RoundTableModule,
        CallsModule,
        ApplicationsModule,
        ReviewModule,
        AwardsModule,
        PaymentsModule,
        ReportsModule,
        VisitsModule,
        TransparencyModule,
        PrivacyModule,
        MonitoringModule,
        SessionsModule,
        OfficeModule,
        HealthModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
