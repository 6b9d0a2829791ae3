import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { IsText, IsVisibleText, Trim } from './text.js';

export const POST_MAX_LENGTH = 280;
export const COMMENT_MAX_LENGTH = 500;

/** `POST /posts`: 1..280 code points after trimming; line breaks allowed. */
@ApiSchema({ name: 'CreatePostRequest' })
export class CreatePostDto {
  @ApiProperty({
    minLength: 1,
    maxLength: POST_MAX_LENGTH,
    description: `1 to ${POST_MAX_LENGTH} characters (Unicode code points) after trimming surrounding white space, at least one of them visible (not only zero-width, format or combining characters); line breaks allowed, other control characters not. \`#tags\` and \`@mentions\` are picked out of it.`,
    example: 'Hello #Warble, @grace_h!',
  })
  @Trim()
  @IsString()
  @IsText(1, POST_MAX_LENGTH, { allowNewlines: true, message: `must be 1 to ${POST_MAX_LENGTH} characters` })
  @IsVisibleText()
  text!: string;
}

/** `POST /posts/{id}/comments`: 1..500 code points after trimming. */
@ApiSchema({ name: 'CreateCommentRequest' })
export class CreateCommentDto {
  @ApiProperty({
    minLength: 1,
    maxLength: COMMENT_MAX_LENGTH,
    description: `1 to ${COMMENT_MAX_LENGTH} characters (Unicode code points) after trimming surrounding white space, at least one of them visible (not only zero-width, format or combining characters); line breaks allowed, other control characters not.`,
    example: 'Well said.',
  })
  @Trim()
  @IsString()
  @IsText(1, COMMENT_MAX_LENGTH, { allowNewlines: true, message: `must be 1 to ${COMMENT_MAX_LENGTH} characters` })
  @IsVisibleText()
  text!: string;
}
