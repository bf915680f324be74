import { Global, Module } from '@nestjs/common';
import { DocumentRenderer } from './document-renderer.js';

@Global()
@Module({ providers: [DocumentRenderer], exports: [DocumentRenderer] })
export class RendererModule {}
