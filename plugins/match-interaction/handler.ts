/**
 * match-interaction (seed 001/002/003): telephony calls it with the called number (`_access_number`), the caller's
 * number (`_phone_number`) and the code entered (`_access_code`). It answers the matched service's `_id` and
 * `_data_id`, and releases the matched access number; 404 when nothing matches. Since 8.5.102:
 * `_return_multiple_matches`, `_return_data` / `_return_user_data` (the user data, files as metadata and a URL),
 * `_delete_service`. Finding the match goes through indexes, never through every live service.
 */
import {
  type CreateCall,
  type EngineServices,
  type MatchedService,
  type PluginHandler,
  textParameter,
} from '../../src/plugin-api.ts';

function describeCall(number: string, phone: string | undefined, code: string | undefined): string {
  return `access number ${number}${phone ? `, phone number ${phone}` : ''}${code ? `, access code ${code}` : ''}`;
}

/** The match-interaction plugin: finds the service an inbound call belongs to. */
export default function createMatchInteractionPlugin(engine: EngineServices): PluginHandler {
  return {
    async create(call: CreateCall) {
      const { parameters } = call;
      const accessNumber = textParameter(parameters._access_number);
      if (!accessNumber) {
        throw engine.errors.missingParameter('_access_number', 'send the number the customer called (DNIS)');
      }
      const phoneNumber = textParameter(parameters._phone_number);
      const accessCode = textParameter(parameters._access_code);
      const multiple = parameters._return_multiple_matches === true;
      const withUserData = parameters._return_data === true || parameters._return_user_data === true;
      const matches = await engine.resources.match({ accessNumber, phoneNumber, accessCode, multiple, withUserData });
      const [first] = matches;
      if (!first) {
        throw engine.errors.notFound(
          `No live service matches ${describeCall(accessNumber, phoneNumber, accessCode)}: the booking may have expired or been matched already`,
        );
      }
      if (parameters._delete_service === true) {
        for (const match of matches) await engine.instances.delete(match.serviceId);
      }
      const answer = (match: MatchedService) => ({
        _id: match.serviceId,
        _data_id: match.dataId,
        ...(withUserData ? { user_data: match.userData ?? {} } : {}),
      });
      return {
        keepInstance: false,
        body: multiple ? { matches: matches.map(answer) } : answer(first),
      };
    },
  };
}
