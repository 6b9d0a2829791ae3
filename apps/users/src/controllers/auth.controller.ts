import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RegisterDto, type UserView } from '@app/api';
import { RegistrationService } from '../services/registration.service.js';

@Controller('auth')
export class AuthController {
  constructor(private readonly registration: RegistrationService) {}

  @Post('register')
  @HttpCode(201)
  register(@Body() body: RegisterDto): Promise<UserView> {
    return this.registration.register(body);
  }
}
