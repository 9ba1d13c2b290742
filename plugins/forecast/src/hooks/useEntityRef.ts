import { useMemo } from 'react';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';

/**
 * Returns the current entity's reference, stable across renders, and its
 * string form for permission checks.
 */
export function useEntityRef(): {
  entityRef: CompoundEntityRef;
  entityRefString: string;
} {
  const { entity } = useEntity();
  const entityRefString = stringifyEntityRef(entity);
  const entityRef = useMemo(
    () => getCompoundEntityRef(entity),
    // The string form changes exactly when the reference does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [entityRefString],
  );
  return { entityRef, entityRefString };
}
