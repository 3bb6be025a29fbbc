/**
 * request-access (seed 001/002, "Request-access"): books an access number (and code) for a live service named by
 * `_id`, so a service of any type can be reached by phone and matched later. Answers the `_id` of that service with
 * `_access_number`, `_access_code` and `_expiration_time`; it keeps no instance of its own.
 */
import {
  accessInformation,
  type CreateCall,
  type EngineServices,
  numberParameter,
  type PluginHandler,
  textParameter,
} from '../../src/plugin-api.ts';

/** The request-access plugin: books access information for another live service. */
export default function createRequestAccessPlugin(engine: EngineServices): PluginHandler {
  return {
    async create(call: CreateCall) {
      const { parameters } = call;
      const id = textParameter(parameters._id);
      if (!id) throw engine.errors.missingParameter('_id', 'send the _id of the live service the access number is for');
      const target = await engine.instances.get(id);
      if (!target) {
        throw engine.errors.notFound(
          `Service instance ${id} does not exist or has expired: request-access books numbers for live services only`,
        );
      }
      const allocation = await engine.resources.allocate({
        group: textParameter(parameters._resource_group) ?? 'DNIS',
        serviceId: target.id,
        dataId: target.dataId,
        phoneNumber: textParameter(parameters._phone_number) ?? textParameter(target.parameters._phone_number),
        provideCode: parameters._provide_code === true,
        codeLength: numberParameter(parameters._access_code_length),
        bookingSeconds: numberParameter(parameters._booking_expiration_timeout),
      });
      return { keepInstance: false, body: { _id: target.id, ...accessInformation(allocation) } };
    },
  };
}
