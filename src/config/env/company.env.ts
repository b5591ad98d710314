import { IsEmail, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { httpUrl } from './env-transforms.js';
import { ProviderEventsEnv } from './provider-events.env.js';

/** The company in every mail and page. */
export class CompanyEnv extends ProviderEventsEnv {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  COMPANY_NAME = 'BHM Healthcare Solutions';

  @IsString()
  @MaxLength(200)
  COMPANY_SHORT_NAME = 'BHM Healthcare';

  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  COMPANY_BLURB =
    'BHM is a healthcare management consulting firm whose specialty is optimizing profitability while improving care in a variety of health care settings. BHM has worked both nationally and internationally with managed care organizations, providers, hospitals, and insurers. In addition to this BHM offers a wide breadth of services including managed care consulting, strategic planning and organizational analysis, accreditation consulting, healthcare financial analysis, physician advisor/peer review, and organizational development.';

  @IsOptional()
  @IsString()
  @MaxLength(500)
  COMPANY_POSTAL_ADDRESS?: string;

  @IsString()
  @Matches(/^[0-9+()\-. ]{5,30}$/, { message: 'must be a phone number' })
  COMPANY_PHONE = '1-888-831-1171';

  @IsEmail()
  COMPANY_EMAIL = 'info@bhmpc.com';

  @IsUrl(httpUrl)
  COMPANY_WEBSITE = 'https://www.bhmpc.com';

  /** Comma-separated `Label=https://...` pairs. */
  @Matches(/^$|^([^=,]+=https?:\/\/[^,\s]+)(,[^=,]+=https?:\/\/[^,\s]+)*$/, {
    message: 'must be comma-separated Label=https://... pairs',
  })
  COMPANY_SOCIAL_LINKS =
    'LinkedIn=https://www.linkedin.com/company/bhm-healthcare-solutions,Facebook=https://www.facebook.com/BHMHealthcareSolutions,Twitter=https://twitter.com/BHMHealthcare';

  @IsOptional()
  @IsUrl(httpUrl)
  COMPANY_LOGO_URL?: string;
}
