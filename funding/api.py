from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from funding.estimate import EstimateInput, as_json, run


class EstimateView(APIView):
    """What a community is owed under the policy in force, and who pays which share."""

    @extend_schema(request=EstimateInput, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        return Response(as_json(run(request.data)))
