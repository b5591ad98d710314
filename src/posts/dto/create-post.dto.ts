import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { POST_LIMITS } from '../posts.constants.js';

const httpUrl = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A post added by hand, for a blog without a feed (POST /admin/posts). */
export class CreatePostDto {
  @ApiProperty({
    example: 'https://www.bhmpc.com/2025/11/patients-providers-social-media/',
    description: 'http(s) only; unique among posts added by hand',
  })
  @IsDefined({ message: 'url is required' })
  @IsUrl(httpUrl, { message: 'url must be an absolute http(s) URL' })
  @MaxLength(POST_LIMITS.url, { message: `url must be at most ${POST_LIMITS.url} characters` })
  url: string;

  @ApiProperty({ example: 'Learn how patients and providers use social media', maxLength: 500 })
  @Transform(trim)
  @IsDefined({ message: 'title is required' })
  @IsString({ message: 'title must be text' })
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(POST_LIMITS.title, { message: `title must be at most ${POST_LIMITS.title} characters` })
  title: string;

  @ApiProperty({
    example: '2025-11-03T14:00:00Z',
    description: 'ISO 8601; a future date holds the post back from digests until then',
  })
  @IsDefined({ message: 'publishedAt is required' })
  @IsISO8601(
    { strict: true },
    { message: 'publishedAt must be an ISO 8601 date, such as 2025-11-03 or 2025-11-03T13:00:00Z' },
  )
  publishedAt: string;

  @ApiPropertyOptional({ maxLength: 5000, description: 'Plain text' })
  @IsOptional()
  @IsString({ message: 'summary must be text' })
  @MaxLength(POST_LIMITS.summary, { message: `summary must be at most ${POST_LIMITS.summary} characters` })
  summary?: string;

  @ApiPropertyOptional({ example: 'https://www.bhmpc.com/wp-content/uploads/2025/11/social-media-healthcare.jpg' })
  @IsOptional()
  @IsUrl(httpUrl, { message: 'imageUrl must be an absolute http(s) URL' })
  @MaxLength(POST_LIMITS.url, { message: `imageUrl must be at most ${POST_LIMITS.url} characters` })
  imageUrl?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString({ message: 'author must be text' })
  @MaxLength(POST_LIMITS.author, { message: `author must be at most ${POST_LIMITS.author} characters` })
  author?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 20 })
  @IsOptional()
  @IsArray({ message: 'categories must be a list of words' })
  @ArrayMaxSize(POST_LIMITS.categories, { message: `categories must hold at most ${POST_LIMITS.categories} entries` })
  @IsString({ each: true, message: 'each category must be text' })
  @MaxLength(POST_LIMITS.category, {
    each: true,
    message: `each category must be at most ${POST_LIMITS.category} characters`,
  })
  categories?: string[];
}
