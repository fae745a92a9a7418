import { Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { CurrentPrincipal, Principal, RequireOperator, RequirePartner } from '@settle/auth';
import { ApiTimestamp, ApiTotalCount, BadParameterError, NotFoundError } from '@settle/contracts';
import { Decimal } from '@settle/money';
import { ApiRoute, ValidBody, ValidQuery } from '@settle/platform';
import { z } from 'zod';
import { MeasureConversion, MeasureUnit, ServiceType } from './catalog.entity';
import { CatalogService } from './catalog.service';
import { ConversionError } from './conversions';

type Language = 'zh_CN' | 'en_US';

/** `X-Language` as the partner API takes it (zh_CN default, en_US), case-insensitive. */
function languageOf(header: string | undefined): Language {
  if (header === undefined || header === '') return 'zh_CN';
  const lower = header.toLowerCase();
  if (lower === 'zh_cn') return 'zh_CN';
  if (lower === 'en_us') return 'en_US';
  throw new BadParameterError(`X-Language: must be zh_CN or en_US, not "${header.slice(0, 16)}".`);
}

const MeasureType = z.coerce.number().int().min(1).max(999);
const ServiceTypeCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a code such as hws.service.type.obs')
  .transform((c) => c.toLowerCase());

const ServiceTypesQuery = z
  .object({
    service_type_code: ServiceTypeCode.optional(),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
    limit: z.coerce.number().int().min(1).max(100).default(10),
  })
  .strict();
const MeasurementsQuery = z.object({ measure_type: MeasureType.optional() }).strict();
const ConversionsQuery = z.object({ measure_type: MeasureType.optional() }).strict();
const MeasureId = z.coerce.number().int().min(0).max(100_000);
const ConvertQuery = z
  .object({
    quantity: z.string().regex(/^\d{1,30}(\.\d{1,30})?$/, 'must be a non-negative decimal such as "1.5"'),
    measure_id: MeasureId,
    ref_measure_id: MeasureId,
    scale: z.coerce.number().int().min(0).max(30).optional(),
  })
  .strict();
const NewServiceTypeBody = z
  .object({
    service_type_code: ServiceTypeCode,
    service_type_name: z.string().trim().min(1).max(200),
    service_type_name_en: z.string().trim().min(1).max(200).optional(),
    abbreviation: z.string().trim().min(1).max(200),
  })
  .strict();

const ServiceTypeFields = {
  service_type_name: z.string().describe('In the language of X-Language (zh_CN by default)'),
  service_type_code: z.string().describe('Lower-case code, e.g. hws.service.type.obs'),
  abbreviation: z.string(),
};
const MeasureTypeCode = z.number().int().describe('1 currency, 2 duration, 3 traffic, 4 quantity…');
const ServiceTypesResponse = z.object({ total_count: ApiTotalCount, service_types: z.array(z.object(ServiceTypeFields)) });
const MeasurementsResponse = z.object({
  measure_units: z.array(z.object({ measure_id: z.number().int(), measure_name: z.string().describe('In the language of X-Language (zh_CN by default)'), abbreviation: z.string(), measure_type: MeasureTypeCode })),
});
const ConversionsResponse = z.object({
  conversions: z.array(
    z.object({
      measure_id: z.number().int(),
      ref_measure_id: z.number().int(),
      conversion_ratio: z.number().int().describe('1 measure_id = conversion_ratio ref_measure_id (e.g. 1 GB = 1024 MB)'),
      measure_type: MeasureTypeCode,
    }),
  ),
});
const ConvertResponse = z.object({
  quantity: z.string().describe('The quantity given, in measure_id'),
  measure_id: z.number().int(),
  ref_measure_id: z.number().int(),
  converted_quantity: z.string().describe('The quantity in ref_measure_id, exact (a decimal as text), rounded half-even only at scale'),
});
const OperatorServiceTypeFields = { ...ServiceTypeFields, service_type_name: z.string().describe('The Chinese name'), service_type_name_en: z.string(), created_by: z.string().describe('migration for the seeded set, else operator:<subject>') };
const NewServiceTypeResponse = z.object({ ...OperatorServiceTypeFields, created_time: ApiTimestamp });
const OperatorServiceTypesResponse = z.object({ total_count: ApiTotalCount, service_types: z.array(z.object(OperatorServiceTypeFields)) });

const serviceTypeView = (t: ServiceType, lang: Language) => ({
  service_type_name: lang === 'en_US' ? t.nameEn : t.nameZh,
  service_type_code: t.serviceTypeCode,
  abbreviation: t.abbreviation,
});
const measureUnitView = (u: MeasureUnit, lang: Language) => ({ measure_id: u.measureId, measure_name: lang === 'en_US' ? u.nameEn : u.nameZh, abbreviation: u.abbreviation, measure_type: u.measureType });
// Every seeded ratio is far below 2^53, so the API's Long is a plain JSON number.
const conversionView = (c: MeasureConversion) => ({ measure_id: c.measureId, ref_measure_id: c.refMeasureId, conversion_ratio: Number(c.conversionRatio), measure_type: c.measureType });

/** Lookups of the partner API: cloud service types, units of measure, unit conversions. Any partner member may read them. */
@Controller()
@RequirePartner()
export class CatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get('v2/products/service-types')
  @ApiRoute({ summary: 'Cloud service types, paged, in the language of X-Language (ListServiceTypes)', response: ServiceTypesResponse })
  async serviceTypes(@ValidQuery(ServiceTypesQuery) q: z.infer<typeof ServiceTypesQuery>, @Headers('x-language') language: string | undefined) {
    const lang = languageOf(language);
    const [rows, total] = await this.catalog.serviceTypes({ code: q.service_type_code, offset: q.offset, limit: q.limit });
    return { total_count: total, service_types: rows.map((t) => serviceTypeView(t, lang)) };
  }

  @Get('v2/bases/measurements')
  @ApiRoute({ summary: 'Units of measure, by measure type, in the language of X-Language (ListMeasureUnits)', response: MeasurementsResponse })
  async measurements(@ValidQuery(MeasurementsQuery) q: z.infer<typeof MeasurementsQuery>, @Headers('x-language') language: string | undefined) {
    const lang = languageOf(language);
    return { measure_units: (await this.catalog.measureUnits(q.measure_type)).map((u) => measureUnitView(u, lang)) };
  }

  @Get('v2/bases/conversions')
  @ApiRoute({ summary: 'Exact conversion ratios between units of measure, by measure type (ListConversions)', response: ConversionsResponse })
  async conversions(@ValidQuery(ConversionsQuery) q: z.infer<typeof ConversionsQuery>, @Headers('x-language') language: string | undefined) {
    languageOf(language);
    return { conversions: (await this.catalog.conversions(q.measure_type)).map(conversionView) };
  }

  /** Not in the public API: a quantity converted exactly along the conversion table (rounded half-even only at `scale`). */
  @Get('v2/bases/conversions/convert')
  @ApiRoute({ summary: 'Converts a quantity exactly from one unit of measure to another (not in the public API)', response: ConvertResponse })
  async convert(@ValidQuery(ConvertQuery) q: z.infer<typeof ConvertQuery>) {
    try {
      const converted = await this.catalog.convert(Decimal.of(q.quantity), q.measure_id, q.ref_measure_id, q.scale);
      return { quantity: q.quantity, measure_id: q.measure_id, ref_measure_id: q.ref_measure_id, converted_quantity: converted.toString() };
    } catch (error) {
      if (error instanceof ConversionError) throw new BadParameterError(error.message);
      throw error;
    }
  }
}

/** Operators extend the catalog with new cloud service types. */
@Controller('operator/billing/service-types')
@RequireOperator()
export class OperatorCatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Post()
  @HttpCode(201)
  @ApiRoute({
    summary: 'Adds a cloud service type to the catalog',
    response: NewServiceTypeResponse,
    errors: [{ status: 409, code: 'CBC.0102', when: 'a service type with this code already exists' }],
  })
  async add(@ValidBody(NewServiceTypeBody) input: z.infer<typeof NewServiceTypeBody>, @CurrentPrincipal() principal: Principal) {
    const by = principal.kind === 'operator' ? `operator:${principal.subject}` : 'unknown';
    const row = await this.catalog.addServiceType(
      { code: input.service_type_code, nameZh: input.service_type_name, nameEn: input.service_type_name_en ?? input.service_type_name, abbreviation: input.abbreviation },
      by,
    );
    return { ...serviceTypeView(row, 'zh_CN'), service_type_name_en: row.nameEn, created_by: row.createdBy, created_time: row.createdAt.toISOString() };
  }

  @Get()
  @ApiRoute({ summary: 'Cloud service types with their English names and who added them (404 when a code is asked for and absent)', response: OperatorServiceTypesResponse })
  async list(@ValidQuery(ServiceTypesQuery) q: z.infer<typeof ServiceTypesQuery>) {
    const [rows, total] = await this.catalog.serviceTypes({ code: q.service_type_code, offset: q.offset, limit: q.limit });
    if (q.service_type_code && total === 0) throw new NotFoundError(`No service type ${q.service_type_code}.`);
    return { total_count: total, service_types: rows.map((t) => ({ ...serviceTypeView(t, 'zh_CN'), service_type_name_en: t.nameEn, created_by: t.createdBy })) };
  }
}
