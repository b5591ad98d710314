import { BadRequestException, Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminController, MinRole } from '../common/admin-controller.decorator.js';
import { CreateOperatorDto, CreateTokenDto, UpdateOperatorDto } from './dto/operator.dto.js';
import type { OperatorTokenView, OperatorView } from './operators.repository.js';
import { type IssuedToken, OperatorsService } from './operators.service.js';

const uuid = (what: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`the ${what} id must be a UUID`) });
const OperatorId = uuid('operator');

/** /admin/operators: who may use the admin API, with which role, and their personal tokens. Owners only. */
@ApiTags('admin: operators')
@AdminController('operators', { changes: 'owner' })
export class OperatorsController {
  constructor(private readonly operators: OperatorsService) {}

  @Get()
  @MinRole('owner')
  list(): Promise<OperatorView[]> {
    return this.operators.list();
  }

  @Post()
  @ApiOperation({ summary: 'Add an operator (owner, editor or viewer)' })
  create(@Body() body: CreateOperatorDto): Promise<OperatorView> {
    return this.operators.create(body.email, body.role);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change the role, or disable (every token stops at once) or enable again' })
  update(@Param('id', OperatorId) id: string, @Body() body: UpdateOperatorDto): Promise<OperatorView> {
    return this.operators.update(id, body);
  }

  @Get(':id/tokens')
  @MinRole('owner')
  tokens(@Param('id', OperatorId) id: string): Promise<OperatorTokenView[]> {
    return this.operators.tokens(id);
  }

  @Post(':id/tokens')
  @ApiOperation({ summary: 'A new personal token carrying the operator’s role; the token is in this answer only' })
  issueToken(@Param('id', OperatorId) id: string, @Body() body: CreateTokenDto): Promise<IssuedToken> {
    return this.operators.issueToken(id, body.name);
  }

  @Delete(':id/sessions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign the operator out of every console session: each stops with the next request' })
  revokeSessions(@Param('id', OperatorId) id: string): Promise<{ revoked: number }> {
    return this.operators.revokeSessions(id);
  }

  @Delete(':id/tokens/:tokenId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a token: it stops working with the next request' })
  revokeToken(
    @Param('id', OperatorId) id: string,
    @Param('tokenId', uuid('token')) tokenId: string,
  ): Promise<OperatorTokenView> {
    return this.operators.revokeToken(id, tokenId);
  }
}
