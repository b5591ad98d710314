export interface SocialLink {
  label: string;
  url: string;
}

/** Who the mail comes from: shown in every header and footer (CAN-SPAM wants the postal address). */
export interface CompanyProfile {
  name: string;
  shortName: string;
  blurb: string;
  postalAddress?: string;
  phone: string;
  email: string;
  website: string;
  socialLinks: SocialLink[];
  logoUrl?: string;
}

export function parseSocialLinks(value: string): SocialLink[] {
  if (!value.trim()) return [];
  return value.split(',').map((pair) => {
    const at = pair.indexOf('=');
    return { label: pair.slice(0, at).trim(), url: pair.slice(at + 1).trim() };
  });
}
